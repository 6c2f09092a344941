// A worker the chat window starts first thing (main.tsx). The first Intl formatter a browser
// process makes loads its locale data, 25–90 ms on a busy machine, and that data is the
// process's: made here, on another thread, it is ready by the time the first list's rows
// format their dates on the window's (docs/performance.md, first load). Only for the window's
// language (?lang=): on two busy cores the other languages' data was work competing with the
// window's own.
import { shortDateOptions, timeOptions } from "./formats";

const lang = new URLSearchParams(location.search).get("lang") || "en";
for (const options of [timeOptions, shortDateOptions]) new Intl.DateTimeFormat(lang, options).format(0);
close();

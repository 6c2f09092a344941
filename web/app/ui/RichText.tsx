// A message's text with its web addresses, e-mails and phone numbers as links; web links open
// in a new tab without telling the site where they came from.
import { linkify } from "../linkify";

export function RichText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((tk) => ("href" in tk
        ? <a href={tk.href} class={`link-${tk.kind}`} {...(tk.kind === "url" ? { target: "_blank", rel: "noopener noreferrer" } : {})}>{tk.text}</a>
        : tk.text))}
    </>
  );
}

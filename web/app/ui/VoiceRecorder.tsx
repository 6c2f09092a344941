// Records a voice message in the browser (F15) with MediaRecorder: press to start, then cancel
// or send; the elapsed time shows while recording.
import { useEffect, useRef, useState } from "preact/hooks";
import { formatDuration, t } from "../i18n";
import { Icon } from "./Icon";

export function VoiceRecorder({ onRecorded }: { onRecorded: (blob: Blob, name: string) => void }) {
  const [state, setState] = useState<"idle" | "recording">("idle");
  const [error, setError] = useState<string | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const rec = useRef<MediaRecorder | null>(null);
  const keep = useRef(false);

  useEffect(() => () => stop(false), []);
  useEffect(() => {
    if (state !== "recording") return;
    const began = Date.now();
    const id = setInterval(() => setElapsed((Date.now() - began) / 1000), 250);
    return () => clearInterval(id);
  }, [state]);

  const begin = async () => {
    setError(null);
    if (typeof MediaRecorder === "undefined" || !navigator.mediaDevices?.getUserMedia) {
      setError(t("app.voice.unsupported"));
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = ["audio/ogg;codecs=opus", "audio/webm;codecs=opus", "audio/mp4"].find((m) => MediaRecorder.isTypeSupported(m)) ?? "";
      const r = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      const chunks: Blob[] = [];
      r.ondataavailable = (e) => chunks.push(e.data);
      r.onstop = () => {
        stream.getTracks().forEach((tr) => tr.stop());
        if (!keep.current) return;
        const mime = r.mimeType.split(";")[0] || "audio/webm";
        const ext = mime.includes("ogg") ? "ogg" : mime.includes("mp4") ? "m4a" : "webm";
        onRecorded(new Blob(chunks, { type: mime }), `voice-${new Date().toISOString().replace(/[:.]/g, "-")}.${ext}`);
      };
      rec.current = r;
      keep.current = false;
      r.start();
      setElapsed(0);
      setState("recording");
    } catch {
      setError(t("app.voice.denied"));
    }
  };

  function stop(send: boolean) {
    keep.current = send;
    if (rec.current && rec.current.state !== "inactive") rec.current.stop();
    rec.current = null;
    setState("idle");
  }

  if (state === "recording") {
    return (
      <span class="recording" role="status">
        <span class="dot" aria-hidden="true" /> {formatDuration(elapsed)}
        <button type="button" class="btn small" onClick={() => stop(false)}>{t("app.cancel")}</button>
        <button type="button" class="btn small primary" onClick={() => stop(true)}>{t("app.send")}</button>
      </span>
    );
  }
  return (
    <>
      <button type="button" class="icon-btn" title={t("app.voice.record")} aria-label={t("app.voice.record")} onClick={begin}><Icon name="mic" size={18} /></button>
      {error && <span class="error small" role="alert">{error}</span>}
    </>
  );
}

// A file made in the page, saved by the browser (nothing is asked of any server): the answers, the calendar.

// The file's address lives a minute: revoked at once, a browser still busy starting the download (a slow
// phone, a busy machine) would find nothing there and save nothing.
const KEEP_MS = 60_000;

/** Save `text` as the file `name` of the media type `type`. */
export function saveFile(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), KEEP_MS);
}

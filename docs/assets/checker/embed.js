// The embeddable checker (incorpora/<call-id>/, the spec's «Embedding»): whenever the height of its
// content changes, it tells the page that frames it, so the partner can size the frame:
//   {type: "bandi-lombardia:height", height: <CSS pixels>}, to any origin (the message carries no
// answers). It posts nothing else and reads nothing from the parent.
const MESSAGE = "bandi-lombardia:height";

if (window.parent !== window) {
  const content = document.getElementById("checker");
  let last = 0;
  const report = () => {
    // The content's bottom, not the document's: a document is never shorter than its frame.
    const height = Math.ceil(content.getBoundingClientRect().bottom + window.scrollY + 16);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: MESSAGE, height }, "*");
    }
  };
  new ResizeObserver(report).observe(content);
  report();
}

/* Lampung In — "Salin nomor" and "Bagikan" on the report confirmation (progressive enhancement).
 *
 * Without JavaScript, or when the browser lacks the Clipboard or Web Share API, the buttons
 * stay hidden: the tracking number is always on the page as selectable text, and the public
 * link (reports that are not confidential) is shown as text too. A button whose API is
 * missing is removed (".btn" sets display, so the hidden attribute would not hide it).
 */
(function () {
  "use strict";
  var box = document.getElementById("share-actions");
  if (!box) return;
  var data = box.dataset;
  var copy = document.getElementById("copy-tracking");
  var share = document.getElementById("share-tracking");
  var status = document.getElementById("share-status");
  var shown = false;

  function say(text) {
    status.textContent = text;
  }

  if (copy && navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
    shown = true;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(data.tracking).then(
        function () { say(data.copied); },
        function () { say(data.copyFailed); }
      );
    });
  } else if (copy) {
    copy.remove();
  }

  var payload = { title: data.title, text: data.text };
  if (data.url) payload.url = data.url;
  if (share && navigator.share && (!navigator.canShare || navigator.canShare(payload))) {
    shown = true;
    share.addEventListener("click", function () {
      navigator.share(payload).catch(function () {});  // dismissed by the user: nothing to say
    });
  } else if (share) {
    share.remove();
  }

  if (shown) box.hidden = false;
})();

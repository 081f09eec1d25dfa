// Copy buttons: <button data-sco-copy="#element-id"> copies that element's text. Served by the
// sco_data plugin itself; without JavaScript the buttons stay hidden and the text can be
// selected by hand.
"use strict";

function scoCopyBySelection(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const copied = document.execCommand("copy");
  return copied;
}

function scoSetUpCopyButtons() {
  for (const button of document.querySelectorAll("[data-sco-copy]")) {
    const target = document.querySelector(button.dataset.scoCopy);
    const status = document.getElementById(button.dataset.scoStatus);
    if (!target) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = target.textContent.trim();
      let copied = false;
      try {
        await navigator.clipboard.writeText(text);
        copied = true;
      } catch (error) {
        // No clipboard API (an insecure origin, or permission refused): select and copy.
        copied = scoCopyBySelection(target);
      }
      if (status) status.textContent = copied ? "Copied." : "Select the text and copy it.";
    });
  }
}

document.addEventListener("DOMContentLoaded", scoSetUpCopyButtons);

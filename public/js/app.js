// Progressive enhancement only: every page works without this script.
'use strict';

// "Copy link" buttons: shown only when the clipboard can be used.
document.querySelectorAll('[data-copy]').forEach(function (button) {
  var target = document.getElementById(button.getAttribute('data-copy'));
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(target.value).then(
      function () {
        button.textContent = 'Copied';
      },
      function () {
        target.select();
      },
    );
  });
});

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

// Character counters under text areas.
document.querySelectorAll('textarea[data-counter]').forEach(function (area) {
  var counter = document.getElementById(area.getAttribute('data-counter'));
  var max = Number(area.getAttribute('maxlength'));
  if (!counter || !max) return;
  var update = function () {
    counter.textContent = area.value.length + ' of ' + max + ' characters';
  };
  area.addEventListener('input', update);
  update();
});

// "n of m answered" on the questionnaire page.
document.querySelectorAll('.js-questionnaire').forEach(function (form) {
  var progress = document.querySelector('.js-progress');
  var items = form.querySelectorAll('.item');
  if (!progress || items.length === 0) return;
  var update = function () {
    var answered = 0;
    items.forEach(function (item) {
      var checked = item.querySelector('input[type=radio]:checked');
      var text = item.querySelector('textarea');
      if (checked || (text && text.value.trim() !== '')) answered += 1;
    });
    progress.textContent = answered + ' of ' + items.length + ' answered.';
  };
  form.addEventListener('change', update);
  form.addEventListener('input', update);
  update();
});

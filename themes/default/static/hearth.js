// Hearth default theme: small enhancements. Every page works without this file.
(function () {
  'use strict';

  // A deep link to an answer or rule inside <details> opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    var details = el && el.closest('details');
    if (details) details.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();

  // Clicking a rule's number also copies its link, so a moderator can paste "see rule 3".
  document.querySelectorAll('a.rule-number').forEach(function (a) {
    a.addEventListener('click', function () {
      if (!navigator.clipboard) return;
      var url = location.origin + location.pathname + a.getAttribute('href');
      navigator.clipboard.writeText(url).then(function () {
        a.classList.add('copied');
        setTimeout(function () { a.classList.remove('copied'); }, 1500);
      }, function () {});
    });
  });
})();

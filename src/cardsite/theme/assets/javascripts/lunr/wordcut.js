/* cardsite: word segmentation for site search in Thai and Hindi, by the browser itself.
 *
 * Material's search worker loads `lunr/wordcut.js` whenever the site searches Thai or Hindi,
 * and lunr's Thai and Hindi support cut text into words with `lunr.wordcut.cut(text)`, which
 * returns the words joined by "|". The stock file is a 662 KiB dictionary segmenter, fetched on
 * every first visit. Browsers ship a segmenter of their own (Intl.Segmenter, with the same
 * dictionaries for Thai); this file, served in its place, uses it. Without Intl.Segmenter,
 * words are split at spaces.
 */
(function (scope) {
  "use strict";
  var lunr = scope.lunr || (scope.lunr = {});
  var segmenter = null;

  lunr.wordcut = {
    init: function () {
      if (typeof Intl !== "undefined" && typeof Intl.Segmenter === "function") {
        segmenter = new Intl.Segmenter(undefined, { granularity: "word" });
      }
    },
    cut: function (text) {
      var words = [];
      if (segmenter === null) {
        words = String(text).split(/\s+/);
      } else {
        var parts = segmenter.segment(String(text));
        var iterator = parts[Symbol.iterator]();
        for (var step = iterator.next(); !step.done; step = iterator.next()) {
          if (step.value.isWordLike) {
            words.push(step.value.segment);
          }
        }
      }
      return words
        .filter(function (word) {
          return word.length > 0;
        })
        .join("|");
    },
  };
})(typeof self !== "undefined" ? self : this);

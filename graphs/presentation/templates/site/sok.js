/* samverkan site: search over the prebuilt index (assets/sok-index.js), in the browser.
   Words are folded to ASCII and stemmed with the Snowball algorithm for Swedish, exactly as
   samverkan.graphs.presentation.site.words does when the index is built; the last word typed
   also matches as the start of a term. Every word must match (entities first, then quotes). */
(function () {
  "use strict";
  var index = window.SAMVERKAN_SOK;
  var VOWELS = "aeiouy";
  var STEP1 = ("a arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er heter or as arnas" +
    " ernas ornas es ades andes ens arens hetens erns at andet het ast").split(" ")
    .sort(function (x, y) { return y.length - x.length || (x < y ? -1 : x > y ? 1 : 0); });
  var S_ENDING = "bcdfghjklmnoprtvy";
  var STEP2 = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];
  var STEP3 = [["fullt", "full"], ["lost", "los"], ["lig", ""], ["els", ""], ["ig", ""]];
  var SPECIAL = { "æ": "ae", "ø": "o", "ß": "ss", "đ": "d", "ł": "l" };

  function fold(text) {
    var s = text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    s = s.replace(/[æøßđł]/g, function (c) { return SPECIAL[c]; });
    return s.replace(/[^0-9a-z]+/g, " ").trim();
  }
  function r1(word) {
    for (var i = 1; i < word.length; i++) {
      if (VOWELS.indexOf(word[i]) < 0 && VOWELS.indexOf(word[i - 1]) >= 0) { return Math.max(i + 1, 3); }
    }
    return word.length;
  }
  function ends(word, suffix) { return word.length >= suffix.length && word.slice(word.length - suffix.length) === suffix; }
  function stem(word) {
    var r = r1(word), i, done = false;
    for (i = 0; i < STEP1.length; i++) {
      if (ends(word, STEP1[i]) && word.length - STEP1[i].length >= r) { word = word.slice(0, word.length - STEP1[i].length); done = true; break; }
    }
    if (!done && ends(word, "s") && word.length - 1 >= r && word.length > 1 && S_ENDING.indexOf(word[word.length - 2]) >= 0) {
      word = word.slice(0, -1);
    }
    for (i = 0; i < STEP2.length; i++) {
      if (ends(word, STEP2[i]) && word.length - 2 >= r) { word = word.slice(0, -1); break; }
    }
    for (i = 0; i < STEP3.length; i++) {
      if (ends(word, STEP3[i][0]) && word.length - STEP3[i][0].length >= r) {
        word = word.slice(0, word.length - STEP3[i][0].length) + STEP3[i][1]; break;
      }
    }
    return word;
  }
  function terms(text) {
    return fold(text).split(" ").filter(function (w) { return w.length > 1; }).map(stem);
  }
  function lowerBound(prefix) {
    var lo = 0, hi = index.terms.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (index.terms[mid] < prefix) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }
  /* the hits holding a term (or, for the word being typed, a term starting with it), as a sorted array */
  function postings(term, asPrefix) {
    var at = lowerBound(term), found = [];
    if (!asPrefix) { return at < index.terms.length && index.terms[at] === term ? index.postings[at] : []; }
    for (var i = at; i < index.terms.length && index.terms[i].lastIndexOf(term, 0) === 0; i++) {
      found = found.concat(index.postings[i]);
    }
    found.sort(function (a, b) { return a - b; });
    return found.filter(function (x, k) { return k === 0 || found[k - 1] !== x; });
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
  }
  function search(query) {
    var words = terms(query);
    if (!words.length) { return []; }
    var typing = !/\s$/.test(query);
    var result = null;
    for (var k = 0; k < words.length; k++) {
      var last = k === words.length - 1;
      var hits = postings(words[k], last && typing);
      if (last && typing) { hits = union(hits, postings(fold(query).split(" ").pop(), true)); }
      result = result === null ? hits : intersect(result, hits);
      if (!result.length) { break; }
    }
    return rank(result, words);
  }
  /* entities whose name is what was asked come first, then those whose name starts with it,
     then the other entities, then quotes; each in index order (names in alphabetical order) */
  var RANKED = 2000;
  function rank(found, words) {
    if (found.length > RANKED) { return found; }
    var asked = words.join(" ");
    var scored = found.map(function (n, k) {
      var hit = index.hits[n], score = 3;
      if (hit[2] !== "citat") {
        var name = terms(hit[1]).join(" ");
        var names = [name].concat(hit[3] ? hit[3].split(", ").map(function (x) { return terms(x).join(" "); }) : []);
        score = names.indexOf(asked) >= 0 ? 0 : name.lastIndexOf(asked, 0) === 0 ? 1 : 2;
      }
      return [score, k, n];
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return scored.map(function (x) { return x[2]; });
  }
  function union(a, b) {
    var all = a.concat(b).sort(function (x, y) { return x - y; });
    return all.filter(function (x, k) { return k === 0 || all[k - 1] !== x; });
  }

  var SHOWN = 50;
  var box = document.getElementById("sok");
  var status = document.getElementById("sok-status");
  var list = document.getElementById("traffar");
  var state = { search: search, terms: terms, stem: stem, fold: fold, lastMs: null, count: 0 };
  window.samverkanSok = state;

  function show() {
    var query = box.value;
    var started = performance.now();
    var found = query.trim() ? search(query) : [];
    var frag = document.createDocumentFragment();
    found.slice(0, SHOWN).forEach(function (n) {
      var hit = index.hits[n];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = hit[0];
      a.textContent = hit[1];
      li.appendChild(a);
      var what = document.createElement("span");
      what.className = "vad";
      what.textContent = " " + hit[2];
      li.appendChild(what);
      if (hit[3]) {
        var text = document.createElement("span");
        text.className = "utdrag";
        text.textContent = hit[2] === "citat" ? "”" + hit[3] + "”" : hit[3];
        li.appendChild(text);
      }
      frag.appendChild(li);
    });
    list.replaceChildren(frag);
    state.lastMs = performance.now() - started;
    state.count = found.length;
    if (!query.trim()) { status.textContent = ""; }
    else if (!found.length) { status.textContent = "Inga träffar för ”" + query.trim() + "”."; }
    else { status.textContent = found.length + (found.length === 1 ? " träff" : " träffar") + (found.length > SHOWN ? ", de första " + SHOWN + " visas." : "."); }
  }
  box.addEventListener("input", show);
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { box.value = q; }
  show();
  box.focus();
})();

/* «Nghe bài học»: reads the lesson aloud with the browser's own speech synthesis, one sentence at a time, in a
   Vietnamese voice, highlighting the sentence being read (ADR 0044). Progressive enhancement: the control stays
   hidden unless the device has a Vietnamese voice; voices may arrive late (voiceschanged). No inline script (CSP). */
(function () {
  "use strict";
  var control = document.getElementById("read-aloud");
  var article = document.querySelector("article.lesson-body");
  var synth = window.speechSynthesis;
  if (!control || !article || !synth || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var playButton = control.querySelector("[data-read-play]");
  var stopButton = control.querySelector("[data-read-stop]");
  var rateSelect = control.querySelector("[data-read-rate]");
  var status = control.querySelector("[data-read-status]");
  var text = control.dataset;
  var BLOCKS = "h2, h3, h4, p, li, th, td, blockquote";
  var HIGHLIGHT = "read-aloud";
  var state = "idle"; // idle | playing | paused
  var index = 0;
  var generation = 0; // utterances of an earlier start or of a cancel are ignored when their events arrive late
  var sentences = null;
  var voice = null;

  function vietnameseVoice() {
    var voices = synth.getVoices() || [];
    var found = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = String(voices[i].lang || "").toLowerCase().replace("_", "-");
      if (lang === "vi" || lang.indexOf("vi-") === 0) {
        if (!found || (voices[i].localService && !found.localService)) {
          found = voices[i];
        }
      }
    }
    return found;
  }

  function updateVoice() {
    voice = vietnameseVoice();
    control.hidden = !voice;
    if (!voice && state !== "idle") {
      stop();
    }
  }

  // The sentences of the lesson as DOM ranges: the innermost text blocks (not the drawings), split after . ! ? …
  function collectSentences() {
    var found = [];
    var blocks = article.querySelectorAll(BLOCKS);
    for (var b = 0; b < blocks.length; b++) {
      var block = blocks[b];
      if (block.closest("figure, .illustration, svg") || block.querySelector(BLOCKS)) {
        continue;
      }
      var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          return node.parentElement && node.parentElement.closest("svg") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      var nodes = [];
      var whole = "";
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push({ node: node, start: whole.length });
        whole += node.data;
      }
      var pattern = /[^.!?…]+(?:[.!?…]+["”»)]*|$)/g;
      var match;
      while ((match = pattern.exec(whole)) !== null) {
        if (match[0] === "") {
          pattern.lastIndex++;
          continue;
        }
        var raw = match[0];
        var lead = raw.length - raw.replace(/^\s+/, "").length;
        var sentence = raw.trim();
        if (!sentence) {
          continue;
        }
        var start = match.index + lead;
        var range = document.createRange();
        var from = locate(nodes, start);
        var to = locate(nodes, start + sentence.length);
        range.setStart(from.node, from.offset);
        range.setEnd(to.node, to.offset);
        found.push({ text: sentence, range: range, block: block });
      }
    }
    return found;
  }

  function locate(nodes, position) {
    for (var i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i].start <= position) {
        return { node: nodes[i].node, offset: Math.min(position - nodes[i].start, nodes[i].node.data.length) };
      }
    }
    return { node: nodes[0].node, offset: 0 };
  }

  function highlight(sentence) {
    var previous = article.querySelector(".reading");
    if (previous) {
      previous.classList.remove("reading");
    }
    if (window.CSS && CSS.highlights && typeof window.Highlight === "function") {
      if (sentence) {
        CSS.highlights.set(HIGHLIGHT, new window.Highlight(sentence.range));
      } else {
        CSS.highlights.delete(HIGHLIGHT);
      }
    }
    if (sentence) {
      sentence.block.classList.add("reading");
      control.dataset.sentence = String(index);
      var box = sentence.block.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) {
        sentence.block.scrollIntoView({ block: "center" });
      }
    } else {
      delete control.dataset.sentence;
    }
  }

  function announce(message) {
    status.textContent = message;
  }

  function render() {
    playButton.textContent = state === "playing" ? text.labelPause : (state === "paused" ? text.labelResume : text.labelPlay);
    playButton.setAttribute("aria-pressed", state === "playing" ? "true" : "false");
    stopButton.hidden = state === "idle";
  }

  function speak() {
    var mine = ++generation;
    if (index >= sentences.length) {
      finish(text.statusDone);
      return;
    }
    var sentence = sentences[index];
    var utterance = new window.SpeechSynthesisUtterance(sentence.text);
    utterance.lang = voice.lang || "vi-VN";
    try {
      utterance.voice = voice;
    } catch (error) { // not a SpeechSynthesisVoice the browser accepts: the language alone chooses the voice
    }
    utterance.rate = parseFloat(rateSelect.value) || 1;
    utterance.addEventListener("start", function () {
      if (mine === generation) {
        highlight(sentence);
      }
    });
    utterance.addEventListener("end", function () {
      if (mine === generation && state === "playing") {
        index++;
        speak();
      }
    });
    utterance.addEventListener("error", function (event) {
      if (mine === generation && event.error !== "interrupted" && event.error !== "canceled") {
        finish(text.statusError);
      }
    });
    synth.speak(utterance);
  }

  function silence() { // ends the utterance being spoken; its late «end» or «error» event is then ignored
    generation++;
    synth.cancel();
  }

  function finish(message) {
    generation++;
    state = "idle";
    index = 0;
    highlight(null);
    render();
    announce(message);
  }

  function play() {
    if (!voice) {
      return;
    }
    if (state === "paused") {
      state = "playing";
      synth.resume();
      render();
      announce(text.statusReading);
      return;
    }
    sentences = sentences || collectSentences();
    silence();
    state = "playing";
    render();
    announce(text.statusReading);
    speak();
  }

  function pause() {
    state = "paused";
    synth.pause();
    render();
    announce(text.statusPaused);
  }

  function stop() {
    silence();
    finish(text.statusStopped);
  }

  playButton.addEventListener("click", function () {
    if (state === "playing") {
      pause();
    } else {
      play();
    }
  });
  stopButton.addEventListener("click", stop);
  rateSelect.addEventListener("change", function () {
    if (state === "playing") { // the new speed starts with the sentence being read
      silence();
      speak();
    }
  });
  window.addEventListener("pagehide", function () {
    if (state !== "idle") {
      silence();
    }
  });
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", updateVoice);
  } else {
    synth.onvoiceschanged = updateVoice;
  }
  render();
  updateVoice();
})();

/* app.js - the page: writes the pasted net to the WebAssembly module's
 * in-memory file system and runs the probe command line on it once per
 * view (probe.js, built by `make web`). Nothing is fetched or sent: the
 * module and the examples are files next to this one. */
'use strict';

/* One run's output, collected line by line by Module.print/printErr. */
var sink = null;

/* probe.js reads this object when it loads (emscripten's Module). */
var Module = {
  print: function (line) { if (sink) sink.out.push(line); },
  printErr: function (line) { if (sink) sink.err.push(line); },
  preRun: [function () {
    /* colour codes would show as text: the CLI's own switch turns them off */
    ENV.NO_COLOR = '1';
  }],
  onRuntimeInitialized: function () { App.ready(); },
  onAbort: function (what) { App.crashed(String(what)); }
};

var App = (function () {
  var DIR = '/in';
  /* the views: a probe option each (the picture's SVG goes to stdout) */
  var VIEWS = [
    { id: 'table', args: [] },
    { id: 'picture', args: ['--svg', '-'] },
    { id: 'formula', args: ['--formula'] },
    { id: 'explain', args: ['--explain'] },
    { id: 'trick', args: ['--trick'] }
  ];
  var EXIT_WORDS = ['every result ok', 'a shape problem', 'an invalid net or a bad option'];
  var loaded = false, dead = false, timer = null;
  var $ = function (id) { return document.getElementById(id); };

  /* Python or not, as the user sees it: a .py file has imports, a class
   * or a def at the start of a line; net.cfg and print(model) text never. */
  function looksLikePython(text) {
    return /^(import\s+\w|from\s+[\w.]+\s+import\s|class\s+\w+\s*[(:]|def\s+\w+\s*\()/m.test(text);
  }

  function fileName() {
    var kind = $('kind').value;
    var py = kind === 'py' || (kind === 'auto' && looksLikePython($('net').value));
    var said = kind !== 'auto' ? '' : py ? 'Read as a model .py file.' : 'Read as net.cfg / print(model) text.';
    /* a live region: spoken when it changes, not at every keystroke */
    if ($('kind-now').textContent !== said) $('kind-now').textContent = said;
    return py ? 'model.py' : 'net.cfg';
  }

  /* One command line, run to the end: its exit code and output lines. */
  function run(args) {
    sink = { out: [], err: [] };
    var code;
    try {
      code = Module.callMain(args);
    } catch (e) {
      sink.err.push('probe stopped: ' + e);
      code = 2;
    }
    var got = sink;
    sink = null;
    got.code = code;
    return got;
  }

  function setText(id, text) { $(id).textContent = text; }

  function caption(id, args) {
    var sec = $(id).closest('section');
    var cap = sec.querySelector('.cmd');
    if (!cap) {
      cap = document.createElement('p');
      cap.className = 'cmd';
      sec.insertBefore(cap, sec.querySelector('h2').nextSibling);
    }
    cap.textContent = '$ probe ' + args.join(' ');
  }

  /* The verdict: the lines from "verdict:" on (or the size search's
   * answer), PyTorch's error line and each fix, each in words. */
  function showVerdict(r) {
    var box = $('verdict');
    var lines = [];
    var from = -1;
    r.out.forEach(function (l, i) {
      if (from < 0 && /^verdict: /.test(l)) from = i;
      if (/^accepts: |^rejects: /.test(l)) lines.push(l);
    });
    if (from >= 0) lines = lines.concat(r.out.slice(from).filter(function (l) { return l.trim() !== ''; }));
    r.err.forEach(function (l) {
      if (/(^|: )error: /.test(l) || /^fix: /.test(l)) lines.push(l);
    });
    if (!lines.length) lines = r.err.slice(0, 3);
    var words = (r.code === 0 ? '\u2714 ' : '\u2716 ') + 'exit ' + r.code + ': ' + (EXIT_WORDS[r.code] || 'stopped');
    /* a live region: spoken again only when the verdict changes */
    if (box.dataset.said === words + '\n' + lines.join('\n')) return;
    box.dataset.said = words + '\n' + lines.join('\n');
    box.textContent = '';
    var head = document.createElement('p');
    head.className = 'exit exit' + r.code;
    head.textContent = words;
    box.appendChild(head);
    var pre = document.createElement('pre');
    pre.textContent = lines.join('\n');
    box.appendChild(pre);
  }

  /* The SVG probe wrote, as an element: parsed as XML and stripped of
   * anything active, so that a layer name in it can only ever be text. */
  function showPicture(r) {
    var box = $('picture');
    box.textContent = '';
    var doc = r.code !== 2 && r.out.length
      ? new DOMParser().parseFromString(r.out.join('\n'), 'image/svg+xml') : null;
    var svg = doc && doc.documentElement;
    if (!svg || svg.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) {
      var pre = document.createElement('pre');
      pre.className = 'out';
      pre.textContent = r.err.join('\n') || 'no picture';
      box.appendChild(pre);
      return;
    }
    var all = svg.querySelectorAll('*');
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (/^(script|foreignObject|iframe|use)$/i.test(el.nodeName)) { el.remove(); continue; }
      for (var k = el.attributes.length - 1; k >= 0; k--) {
        var a = el.attributes[k];
        if (/^on/i.test(a.name) || /href$/i.test(a.name)) el.removeAttribute(a.name);
      }
    }
    svg.setAttribute('role', 'img');
    if (!svg.getAttribute('aria-label')) svg.setAttribute('aria-label', 'the shape of the tensor after each layer');
    box.appendChild(document.importNode(svg, true));
  }

  function refresh() {
    /* a refresh run at once (an example, the kind, Enter) stands for the one
     * a keystroke left pending: that one would run every view again */
    if (timer) clearTimeout(timer);
    timer = null;
    if (!loaded || dead) return;
    var text = $('net').value;
    var name = fileName();
    var size = $('size').value.trim();
    if (!text.trim()) {
      $('verdict').innerHTML = '<p class="placeholder">Paste a net or choose an example.</p>';
      $('verdict').dataset.said = '';
      VIEWS.forEach(function (v) { $(v.id).textContent = ''; });
      setText('diag', '');
      return;
    }
    try { Module.FS.unlink(DIR + '/net.cfg'); } catch (e) { /* not there */ }
    try { Module.FS.unlink(DIR + '/model.py'); } catch (e) { /* not there */ }
    Module.FS.writeFile(DIR + '/' + name, text);
    var base = ['--net', name].concat(size ? ['--hw', size] : []);
    $('state').textContent = 'Running…';
    VIEWS.forEach(function (v) {
      var args = base.concat(v.args);
      var r = run(args);
      caption(v.id, args);
      if (v.id === 'table') {
        showVerdict(r);
        setText('diag', r.err.join('\n') || (size ? 'No error at ' + size + '.' : 'No error.'));
        caption('diag', args);
        setText('table', r.out.join('\n'));
      } else if (v.id === 'picture') {
        showPicture(r);
      } else {
        /* the other views' notes repeat the table's: their errors stay */
        setText(v.id, r.out.concat(r.code === 2 ? r.err : []).join('\n'));
      }
    });
    if (!dead) $('state').textContent = 'Up to date.';
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  function pickExample() {
    var i = $('example').value;
    if (i === '') return;
    var ex = PROBE_EXAMPLES[+i];
    $('net').value = ex.text;
    $('kind').value = 'auto';
    refresh();
  }

  function init() {
    var sel = $('example');
    PROBE_EXAMPLES.forEach(function (ex, i) {
      var o = document.createElement('option');
      o.value = String(i);
      o.textContent = ex.label + ' (' + ex.file + ')';
      sel.appendChild(o);
    });
    sel.addEventListener('change', pickExample);
    $('net').addEventListener('input', later);
    $('size').addEventListener('input', later);
    $('kind').addEventListener('change', refresh);
    $('fit').addEventListener('change', function () { $('picture').classList.toggle('fit', $('fit').checked); });
    $('controls').addEventListener('submit', function (e) { e.preventDefault(); refresh(); });
  }

  document.addEventListener('DOMContentLoaded', init);

  return {
    ready: function () {
      Module.FS.mkdir(DIR);
      Module.FS.chdir(DIR);
      loaded = true;
      $('state').textContent = 'probe is loaded: results follow as you type.';
      refresh();
    },
    crashed: function (what) {
      dead = true;
      $('state').textContent = 'probe stopped (' + what + '): reload the page.';
    },
    refresh: refresh
  };
})();

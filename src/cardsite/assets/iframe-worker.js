/*
 * iframe-worker.js - run classic Web Workers on pages opened from file://
 *
 * Written for cardsite (MIT). Loaded through `extra.polyfills`, i.e. before
 * Material's bundle, so that the bundle's `new Worker(url)` gets this class.
 *
 * Why: Chromium gives every file:// document an opaque origin, and
 * `new Worker("file:///...")` throws a SecurityError ("cannot be accessed from
 * origin 'null'"). Material's search runs lunr inside a Worker, so a site
 * opened from disk loses search (Material 9.8 hides the search box when the
 * worker cannot be created). Material's offline plugin fixes this with a shim
 * from unpkg.com, which a reader without network never gets.
 *
 * How: an iframe with no src (about:blank) inherits the parent's origin, so
 * the parent may script it, and a classic <script src="file:///..."> may load
 * into it (classic scripts need no CORS). The iframe therefore serves as the
 * worker's global scope:
 *
 *   worker side (inside the iframe)      page side (this Worker replacement)
 *   -------------------------------      -----------------------------------
 *   postMessage(data)             --->   "message" event / onmessage
 *   addEventListener("message") / <---   worker.postMessage(data)
 *     onmessage
 *   importScripts(...urls)               loads <script> tags in order and
 *                                        returns a Promise (see below)
 *   close()                              same as worker.terminate()
 *   uncaught error                --->   "error" event / onerror
 *
 * Limits, accepted because Material's search worker does not need more:
 * - It runs on the page's thread, so heavy work can still block the UI.
 * - importScripts cannot be synchronous here (synchronous XHR to file:// is
 *   blocked too), so it returns a Promise. Material's worker awaits it.
 * - Classic workers only; transfer lists are ignored (data is cloned).
 * - `self.location` is about:blank, not the script URL; relative URLs still
 *   resolve against the script (a <base> element points there).
 * - Errors thrown by file:// scripts reach onerror as "Script error." (the
 *   browser hides details from the opaque origin); the console has them.
 * - Page code that calls iframe.contentWindow.postMessage directly reaches
 *   our replacement, i.e. fakes a worker message; only this page can do so.
 *
 * Everywhere other than file:// this file does nothing.
 */
(function () {
  "use strict";

  if (location.protocol !== "file:" || typeof window.Worker === "undefined") {
    return;
  }

  var NativeWorker = window.Worker;

  // Copy data the way postMessage would, so neither side shares objects with
  // the other. `clone` is the structuredClone of the receiving realm.
  function copy(clone, data) {
    return typeof clone === "function" ? clone(data) : data;
  }

  class IframeWorker extends EventTarget {
    constructor(url, options) {
      if (options && options.type === "module") {
        // Module workers would need a different loader; keep native behaviour.
        return new NativeWorker(url, options);
      }
      super();
      this.onmessage = null;
      this.onmessageerror = null;
      this.onerror = null;

      this._url = new URL(String(url), document.baseURI).href;
      this._pending = []; // messages posted before the worker script ran
      this._ours = new WeakSet(); // message events we dispatched into the scope
      this._ready = false;
      this._closed = false;

      // A hidden iframe without src: its about:blank document is available
      // synchronously and shares our origin.
      var frame = document.createElement("iframe");
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.setAttribute("aria-hidden", "true");
      frame.title = "worker: " + this._url;
      (document.body || document.documentElement).appendChild(frame);
      this._frame = frame;
      this._scope = frame.contentWindow;
      this._setUpScope();

      // Run the worker script, then deliver what was posted meanwhile.
      var worker = this;
      this._scope.importScripts(this._url).then(
        function () {
          worker._ready = true;
          var queued = worker._pending;
          worker._pending = [];
          queued.forEach(function (data) { worker._deliver(data); });
        },
        function (error) {
          worker._emit(new ErrorEvent("error", { message: String(error.message || error) }));
        }
      );
    }

    // Give the iframe's window the parts of a worker's global scope we need.
    _setUpScope() {
      var worker = this;
      var scope = this._scope;
      var doc = scope.document;

      // Relative URLs inside the worker resolve against the worker script,
      // as they would in a real worker (Material imports "../lunr/...").
      var base = doc.createElement("base");
      base.href = this._url;
      doc.head.appendChild(base);

      // Worker -> page.
      scope.postMessage = function (data) {
        if (worker._closed) return;
        var event = new MessageEvent("message", { data: copy(window.structuredClone, data) });
        setTimeout(function () { worker._emit(event); }, 0);
      };

      // Load scripts into the scope, executing them in the given order.
      // Resolves when all have run; rejects if any fails to load.
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return Promise.all(urls.map(function (src) {
          return new Promise(function (resolve, reject) {
            var script = doc.createElement("script");
            script.async = false; // download in parallel, run in order
            script.src = new URL(String(src), doc.baseURI).href;
            script.onload = function () { resolve(); };
            script.onerror = function () { reject(new Error("importScripts failed: " + script.src)); };
            doc.head.appendChild(script);
          });
        })).then(function () { return undefined; });
      };

      scope.close = function () { worker.terminate(); };

      // Only our own messages may reach the worker's listeners; stop any
      // message some other window posts to the iframe. Capture listeners on
      // the target run before the worker's own listeners.
      scope.addEventListener("message", function (event) {
        if (!worker._ours.has(event)) event.stopImmediatePropagation();
      }, true);

      // Uncaught errors in worker code surface on the Worker object.
      scope.addEventListener("error", function (event) {
        worker._emit(new ErrorEvent("error", {
          message: event.message,
          filename: event.filename,
          lineno: event.lineno,
          colno: event.colno,
          error: event.error
        }));
      });
    }

    // Page -> worker. Cloned now (so a DataCloneError is thrown here, as with a real
    // worker), delivered later, in order.
    postMessage(data) {
      if (this._closed) return;
      var copied = copy(this._scope.structuredClone, data);
      if (this._ready) this._deliver(copied);
      else this._pending.push(copied);
    }

    _deliver(data) {
      var worker = this;
      var scope = this._scope;
      var event = new scope.MessageEvent("message", { data: data });
      this._ours.add(event);
      setTimeout(function () {
        if (!worker._closed) scope.dispatchEvent(event);
      }, 0);
    }

    terminate() {
      if (this._closed) return;
      this._closed = true;
      this._pending = [];
      this._frame.remove(); // drops the scope, its timers and listeners
    }

    // Fire an event at listeners and at the matching on<type> property.
    _emit(event) {
      if (this._closed) return;
      this.dispatchEvent(event);
      var handler = this["on" + event.type];
      if (typeof handler === "function") handler.call(this, event);
    }
  }

  window.Worker = IframeWorker;
})();

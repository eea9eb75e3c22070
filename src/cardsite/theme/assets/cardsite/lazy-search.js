/* cardsite: site search loads when a reader starts to search, not with every page.
 *
 * Material starts its search worker and fetches the search index (and the worker then its
 * language files) as soon as any page loads: on a first visit, more bytes than the page
 * itself, for a search most readers never open. Loaded before Material's bundle (as a
 * polyfill), this script hands the bundle a Worker that starts the real one, and an
 * XMLHttpRequest that sends the index request, only once the reader turns to search: focuses
 * or clicks the search box or its icon, or presses a key that opens it (/, s, f). A page
 * opened with a search term in its address (?q= or ?h=) starts at once. Until then Material
 * shows its usual "Initializing search".
 */
(function () {
  "use strict";

  var started = false;
  var waiting = [];

  function start() {
    if (started) return;
    started = true;
    waiting.splice(0).forEach(function (run) {
      run();
    });
  }

  function whenStarted(run) {
    if (started) run();
    else waiting.push(run);
  }

  // The worker: messages wait in a queue until the real worker exists.
  var RealWorker = window.Worker;
  if (typeof RealWorker === "function" && typeof EventTarget === "function") {
    var LazyWorker = function (url, options) {
      var target = new EventTarget();
      var real = null;
      var queue = [];
      target.onmessage = null;
      target.onerror = null;
      target.postMessage = function (message, transfer) {
        if (real) real.postMessage(message, transfer);
        else queue.push([message, transfer]);
      };
      target.terminate = function () {
        if (real) real.terminate();
        queue = [];
      };
      whenStarted(function () {
        real = new RealWorker(url, options);
        ["message", "messageerror", "error"].forEach(function (type) {
          real.addEventListener(type, function (event) {
            var copy =
              type === "error"
                ? new ErrorEvent("error", { message: event.message })
                : new MessageEvent(type, { data: event.data });
            target.dispatchEvent(copy);
            var handler = target["on" + type];
            if (typeof handler === "function") handler.call(target, copy);
          });
        });
        queue.splice(0).forEach(function (item) {
          real.postMessage(item[0], item[1]);
        });
      });
      return target;
    };
    window.Worker = LazyWorker;
  }

  // The index request: sent once search starts.
  var RealXHR = window.XMLHttpRequest;
  var LazyXHR = function () {
    var xhr = new RealXHR();
    var open = xhr.open;
    var send = xhr.send;
    var wait = false;
    xhr.open = function (method, url) {
      wait = !started && /search\/search_index\.json(?:[?#]|$)/.test(String(url));
      return open.apply(xhr, arguments);
    };
    xhr.send = function () {
      var args = arguments;
      if (wait) {
        whenStarted(function () {
          send.apply(xhr, args);
        });
      } else {
        send.apply(xhr, args);
      }
    };
    return xhr;
  };
  LazyXHR.prototype = RealXHR.prototype;
  ["UNSENT", "OPENED", "HEADERS_RECEIVED", "LOADING", "DONE"].forEach(function (name) {
    LazyXHR[name] = RealXHR[name];
  });
  window.XMLHttpRequest = LazyXHR;

  // What starts search.
  function inSearch(node) {
    return (
      node &&
      node.closest &&
      node.closest('.md-search, [for="__search"], [data-md-toggle="search"]') !== null
    );
  }
  document.addEventListener(
    "focusin",
    function (event) {
      if (inSearch(event.target)) start();
    },
    true
  );
  ["pointerdown", "click"].forEach(function (type) {
    document.addEventListener(
      type,
      function (event) {
        if (inSearch(event.target)) start();
      },
      true
    );
  });
  document.addEventListener(
    "keydown",
    function (event) {
      if (["/", "s", "S", "f", "F"].indexOf(event.key) !== -1) start();
    },
    true
  );
  if (/[?&](q|h)=/.test(window.location.search)) start();
})();

import Foundation

/// A real headless Chromium for tests: load a page, click like a user, read what appears.
///
/// It speaks the Chrome DevTools Protocol over `--remote-debugging-pipe` (no port, so tests
/// running side by side cannot reach each other's browsers), with a fresh profile in a
/// temporary folder. Each instance opens one page target and keeps its session. Every call
/// waits at most `commandTimeout` seconds; errors that involve the browser quote the tail of
/// its standard error. `close()` (or deinit) ends the browser and removes the profile.
///
/// Cost on a 2-core machine: launching takes 0.35-0.5 s, loading a small page and clicking
/// about 0.1 s more, closing about 0.1 s; a test that does all three runs in under a second.
public final class HeadlessBrowser {
    /// Why the browser could not do what a test asked.
    public enum Failure: Error, CustomStringConvertible {
        /// No `chromium` on the PATH nor at /usr/bin/chromium.
        case notInstalled
        /// A pipe, the temporary profile or the spawn itself failed.
        case launch(reason: String)
        /// The browser did not answer within the time allowed.
        case timeout(waitingFor: String, stderrTail: String)
        /// The browser process ended (or closed its pipe) while a call waited for it.
        case exited(status: String, waitingFor: String, stderrTail: String)
        /// The browser answered a command with an error, or sent something unreadable.
        case protocolError(method: String, message: String)
        /// The page at `url` did not load (`net::ERR_FILE_NOT_FOUND` and the like).
        case navigation(url: String, reason: String)
        /// The page's JavaScript threw while evaluating `expression`.
        case javaScript(expression: String, message: String)
        /// `waitUntil`'s condition stayed false for `seconds`.
        case conditionNotMet(expression: String, seconds: TimeInterval)
        /// No element on the page matches `selector`.
        case noElement(selector: String)
        /// The element exists but a click at its centre would not reach it.
        case notClickable(selector: String, reason: String)
        /// The browser was used after `close()`.
        case closed

        public var description: String {
            switch self {
            case .notInstalled:
                return "headless browser: chromium is not installed (looked on the PATH and at /usr/bin/chromium)"
            case .launch(let reason):
                return "headless browser: could not start chromium: \(reason)"
            case .timeout(let what, let tail):
                return "headless browser: timed out waiting for \(what)" + Self.quote(tail)
            case .exited(let status, let what, let tail):
                return "headless browser: chromium \(status) while waiting for \(what)" + Self.quote(tail)
            case .protocolError(let method, let message):
                return "headless browser: \(method) failed: \(message)"
            case .navigation(let url, let reason):
                return "headless browser: could not load \(url): \(reason)"
            case .javaScript(let expression, let message):
                return "headless browser: JavaScript threw \(message)\nwhile evaluating: \(expression)"
            case .conditionNotMet(let expression, let seconds):
                return "headless browser: still false after \(seconds) s: \(expression)"
            case .noElement(let selector):
                return "headless browser: no element matches the selector \(selector)"
            case .notClickable(let selector, let reason):
                return "headless browser: cannot click \(selector): it \(reason)"
            case .closed:
                return "headless browser: used after close()"
            }
        }

        private static func quote(_ stderrTail: String) -> String {
            stderrTail.isEmpty ? "" : "\nchromium's standard error ends with:\n\(stderrTail)"
        }
    }

    /// The chromium executable: the first on the PATH, else /usr/bin/chromium; nil when neither.
    public static var executablePath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/chromium" } + ["/usr/bin/chromium"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether a browser can be launched here (tests skip themselves when not).
    public static var isAvailable: Bool { executablePath != nil }

    /// The longest any one call waits for the browser, in seconds.
    public let commandTimeout: TimeInterval
    private let process: BrowserProcess
    private let pipe: DevToolsPipe
    private let temporaryFolder: URL
    private let session: String
    private var isClosed = false

    /// Launches chromium on about:blank and attaches to a new page.
    /// - Parameters:
    ///   - commandTimeout: the longest any later call waits, in seconds.
    ///   - launchTimeout: how long the browser may take to start and open its page.
    /// - Throws: `Failure.notInstalled`, `.launch`, or what opening the page threw.
    public init(commandTimeout: TimeInterval = 15, launchTimeout: TimeInterval = 30) throws {
        guard let executable = Self.executablePath else { throw Failure.notInstalled }
        self.commandTimeout = commandTimeout
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("headless-browser-\(UUID().uuidString)", isDirectory: true)
        let profile = folder.appendingPathComponent("profile", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        } catch {
            throw Failure.launch(reason: "cannot create the profile folder \(profile.path): \(error)")
        }
        let arguments = [
            "--headless=new",
            "--no-sandbox",  // the sandbox refuses to run as root, which CI containers are
            "--disable-gpu",
            "--disable-dev-shm-usage",  // containers often give /dev/shm only 64 MB
            "--remote-debugging-pipe",
            "--user-data-dir=\(profile.path)",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--window-size=1024,768",
            "about:blank",
        ]
        let process: BrowserProcess
        do {
            process = try BrowserProcess(executable: executable, arguments: arguments,
                                         stderrLog: folder.appendingPathComponent("stderr.log"))
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        let pipe = DevToolsPipe(process: process)
        do {
            let target = try pipe.send("Target.createTarget", ["url": "about:blank"], timeout: launchTimeout)
            guard let targetID = target["targetId"] as? String else {
                throw Failure.protocolError(method: "Target.createTarget", message: "no targetId in \(target)")
            }
            let attached = try pipe.send("Target.attachToTarget", ["targetId": targetID, "flatten": true],
                                         timeout: commandTimeout)
            guard let session = attached["sessionId"] as? String else {
                throw Failure.protocolError(method: "Target.attachToTarget", message: "no sessionId in \(attached)")
            }
            try pipe.send("Page.enable", session: session, timeout: commandTimeout)
            self.session = session
        } catch {
            process.terminate(grace: 2)
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        self.process = process
        self.pipe = pipe
        self.temporaryFolder = folder
    }

    deinit {
        close()
    }

    /// Loads `url` (a `file://` URL in most tests) and returns once its load event has fired.
    /// - Throws: `Failure.navigation` when the page cannot be loaded, `.timeout` when it
    ///   does not finish loading in time.
    public func navigate(to url: String) throws {
        try command { pipe in
            // A load event from an earlier page must not end this wait.
            pipe.discardEvents()
            let result = try pipe.send("Page.navigate", ["url": url], session: session, timeout: commandTimeout)
            if let reason = result["errorText"] as? String, !reason.isEmpty {
                throw Failure.navigation(url: url, reason: reason)
            }
            try pipe.waitForEvent("Page.loadEventFired", session: session, timeout: commandTimeout)
        }
    }

    /// Emulates a CSS media feature for the pages from now on, e.g. `prefers-color-scheme: dark`.
    public func emulateMedia(feature name: String, value: String) throws {
        try command { pipe in
            _ = try pipe.send("Emulation.setEmulatedMedia", ["features": [["name": name, "value": value]]],
                              session: session, timeout: commandTimeout)
        }
    }

    /// Evaluates the JavaScript expression `js` in the page, awaiting it when it is a promise.
    /// - Returns: its value as JSONSerialization gives it (String, NSNumber, Bool, arrays,
    ///   dictionaries); nil for `undefined` and `null`.
    /// - Throws: `Failure.javaScript` with the exception's text when the page throws.
    public func evaluate(_ js: String) throws -> Any? {
        try command { pipe in
            let reply = try pipe.send(
                "Runtime.evaluate", ["expression": js, "returnByValue": true, "awaitPromise": true],
                session: session, timeout: commandTimeout)
            if let details = reply["exceptionDetails"] as? [String: Any] {
                let exception = details["exception"] as? [String: Any]
                let message = exception?["description"] as? String
                    ?? (exception?["value"]).map { "\($0)" }
                    ?? details["text"] as? String
                    ?? "\(details)"
                throw Failure.javaScript(expression: js, message: message)
            }
            let value = (reply["result"] as? [String: Any])?["value"]
            return value is NSNull ? nil : value
        }
    }

    /// Polls the JavaScript boolean expression `js` every 50 ms until it is true.
    /// - Throws: `Failure.conditionNotMet` after `timeout` seconds; `.javaScript` at once when
    ///   the expression throws.
    public func waitUntil(_ js: String, timeout: TimeInterval = 5) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try evaluate("Boolean(\(js))") as? Bool == true { return }
            guard Date() < deadline else { throw Failure.conditionNotMet(expression: js, seconds: timeout) }
            usleep(50_000)
        }
    }

    /// Clicks the first element matching the CSS `selector` with the mouse, as a user would:
    /// scrolls it into view, moves the pointer to its centre, presses and releases the left
    /// button there.
    /// - Throws: `Failure.noElement` when nothing matches; `.notClickable` when the element
    ///   has no size or something else covers its centre.
    public func click(selector: String) throws {
        let probe = """
            (() => {
              const element = document.querySelector(\(try Self.javaScriptString(selector)));
              if (!element) return null;
              element.scrollIntoView({block: "center", inline: "center"});
              const box = element.getBoundingClientRect();
              if (box.width === 0 || box.height === 0) return {problem: "has no size (is it hidden?)"};
              const x = box.left + box.width / 2, y = box.top + box.height / 2;
              const hit = document.elementFromPoint(x, y);
              if (hit === null) return {problem: "is outside the window"};
              if (hit !== element && !element.contains(hit)) {
                return {problem: "is covered by " + hit.outerHTML.slice(0, 80)};
              }
              return {x, y};
            })()
            """
        guard let point = try evaluate(probe) as? [String: Any] else { throw Failure.noElement(selector: selector) }
        if let problem = point["problem"] as? String { throw Failure.notClickable(selector: selector, reason: problem) }
        guard let x = (point["x"] as? NSNumber)?.doubleValue, let y = (point["y"] as? NSNumber)?.doubleValue else {
            throw Failure.protocolError(method: "click(\(selector))", message: "no centre point in \(point)")
        }
        try command { pipe in
            for (type, button) in [("mouseMoved", "none"), ("mousePressed", "left"), ("mouseReleased", "left")] {
                try pipe.send("Input.dispatchMouseEvent",
                              ["type": type, "x": x, "y": y, "button": button, "clickCount": type == "mouseMoved" ? 0 : 1],
                              session: session, timeout: commandTimeout)
            }
        }
    }

    /// Keys `press` knows: DOM `key`, DOM `code` and the Windows virtual key code.
    public enum Key: Sendable {
        case arrowRight, arrowLeft, end, home, escape, enter
        /// A printable character (a letter, a digit, a space).
        case character(Character)

        var fields: (key: String, code: String, keyCode: Int, text: String?) {
            switch self {
            case .arrowRight: return ("ArrowRight", "ArrowRight", 39, nil)
            case .arrowLeft: return ("ArrowLeft", "ArrowLeft", 37, nil)
            case .end: return ("End", "End", 35, nil)
            case .home: return ("Home", "Home", 36, nil)
            case .escape: return ("Escape", "Escape", 27, nil)
            case .enter: return ("Enter", "Enter", 13, "\r")
            case .character(let character):
                let text = String(character)
                let upper = text.uppercased()
                if character == " " { return (" ", "Space", 32, " ") }
                let code = character.isNumber ? "Digit\(text)" : "Key\(upper)"
                return (text, code, Int(upper.unicodeScalars.first?.value ?? 0), text)
            }
        }
    }

    /// Presses and releases `key` as a keyboard would (trusted key events to the focused page),
    /// with Shift held when `shift` is set.
    public func press(_ key: Key, shift: Bool = false) throws {
        let (name, code, keyCode, text) = key.fields
        var down: [String: Any] = ["type": text == nil ? "rawKeyDown" : "keyDown", "key": name, "code": code,
                                   "windowsVirtualKeyCode": keyCode, "modifiers": shift ? 8 : 0]
        if let text { down["text"] = text }
        let up: [String: Any] = ["type": "keyUp", "key": name, "code": code, "windowsVirtualKeyCode": keyCode,
                                 "modifiers": shift ? 8 : 0]
        try command { pipe in
            for event in [down, up] {
                try pipe.send("Input.dispatchKeyEvent", event, session: session, timeout: commandTimeout)
            }
        }
    }

    /// The text content of the first element matching `selector`; nil when nothing matches.
    /// - Throws: `Failure.javaScript` when the selector is not valid CSS.
    public func text(of selector: String) throws -> String? {
        try evaluate("document.querySelector(\(try Self.javaScriptString(selector)))?.textContent ?? null") as? String
    }

    /// Saves a PNG of the visible page at `path`.
    /// - Throws: `Failure.protocolError` when the browser sends no image; file errors.
    public func screenshot(to path: String) throws {
        let image = try command { pipe in
            try pipe.send("Page.captureScreenshot", ["format": "png"], session: session, timeout: commandTimeout)
        }
        guard let base64 = image["data"] as? String, let png = Data(base64Encoded: base64) else {
            throw Failure.protocolError(method: "Page.captureScreenshot", message: "no base64 image in the reply")
        }
        try png.write(to: URL(fileURLWithPath: path))
    }

    /// Ends the browser (asking it to close, then SIGTERM, then SIGKILL), waits for it and
    /// removes its temporary profile. Later calls throw `Failure.closed`; closing twice is fine.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        // A browser that answers closes itself and its renderers; one that does not is not
        // worth waiting long for before the signals.
        let answered = (try? pipe.send("Browser.close", timeout: 2)) != nil
        process.terminate(grace: answered ? 3 : 1)
        try? FileManager.default.removeItem(at: temporaryFolder)
    }

    private func command<T>(_ body: (DevToolsPipe) throws -> T) throws -> T {
        guard !isClosed else { throw Failure.closed }
        return try body(pipe)
    }

    /// `text` as a JavaScript string literal (JSON's string syntax is a subset of it).
    private static func javaScriptString(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    }
}

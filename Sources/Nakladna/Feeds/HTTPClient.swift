import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request as the pull clients build it.
package struct HTTPRequest: Sendable {
    package var method: String
    package var url: URL
    package var headers: [(String, String)]
    package var body: Data?

    package init(method: String, url: URL, headers: [(String, String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An answer: status, headers (lower-cased names) and body.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data
}

/// Why a request failed for good, after the retries it was allowed.
package enum HTTPFailure: Error, Sendable {
    /// The server answered with an error status that retrying does not fix (401, 403, 412, other 4xx).
    case status(Int, Data)
    /// No usable answer: the connection failed, dropped or timed out on every try, or 5xx/429 every time.
    case transport(String)
}

/// A small synchronous HTTP client over Foundation's URLSession, with the traffic rules:
/// a time-out per request, at most 5 tries, exponential backoff with jitter on 5xx and connection errors, and on
/// 429 the server's `Retry-After` (up to 60 s). URLSession rather than async-http-client: it ships with the
/// toolchain, so CI builds no SwiftNIO for a nightly job's handful of requests.
package final class HTTPClient: @unchecked Sendable {
    package let timeout: TimeInterval
    package let maxTries = 5
    /// The first backoff; each retry doubles it, plus up to half again of jitter.
    package let backoff: TimeInterval
    private let session: URLSession

    package init(timeout: TimeInterval, backoff: TimeInterval = 0.5) {
        self.timeout = timeout
        self.backoff = backoff
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 4
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    /// Sends `request`, retrying what the rules allow. `log` hears each retry (never a header or a body).
    package func send(_ request: HTTPRequest, log: (String) -> Void = { _ in }) throws(HTTPFailure) -> HTTPResponse {
        var lastProblem = ""
        for attempt in 1...maxTries {
            var wait = backoff * pow(2, Double(attempt - 1)) * (1 + Double.random(in: 0..<0.5))
            switch once(request) {
            case .success(let response):
                if response.status == 429 {
                    lastProblem = "429 Too Many Requests"
                    if let after = response.headers["retry-after"].flatMap(Double.init) { wait = min(after, 60) }
                } else if response.status >= 500 {
                    lastProblem = "\(response.status) from the server"
                } else if response.status >= 400 {
                    throw .status(response.status, response.body)
                } else {
                    return response
                }
            case .failure(let problem):
                lastProblem = problem.text
            }
            guard attempt < maxTries else { break }
            log(
                "\(request.method) \(Self.shown(request.url)): \(lastProblem); try \(attempt + 1) of \(maxTries) in \(String(format: "%.1f", wait)) s"
            )
            Thread.sleep(forTimeInterval: wait)
        }
        throw .transport("\(request.method) \(Self.shown(request.url)): \(lastProblem) after \(maxTries) tries")
    }

    /// The path of a URL as sent, without the query (which may carry dates, never secrets, but stays short).
    static func shown(_ url: URL) -> String {
        URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? url.path
    }

    private func once(_ request: HTTPRequest) -> Result<HTTPResponse, Problem> {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = timeout
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: urlRequest) { data, response, error in
            if let error {
                let code = (error as NSError).code
                box.result = .failure(
                    Problem(
                        text: code == NSURLErrorTimedOut
                            ? "timed out after \(Int(self.timeout)) s"
                            : code == NSURLErrorNetworkConnectionLost || code == NSURLErrorUnknown
                                ? "the connection dropped" : "connection failed (\(code))"))
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields {
                    if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
                }
                box.result = .success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
            } else {
                box.result = .failure(Problem(text: "no HTTP answer"))
            }
            done.signal()
        }.resume()
        done.wait()
        return box.result ?? .failure(Problem(text: "no answer"))
    }
}

private final class ResponseBox: @unchecked Sendable {
    var result: Result<HTTPResponse, Problem>?
}

/// What went wrong with one try.
private struct Problem: Error {
    var text: String
}

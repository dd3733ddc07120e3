import Foundation
import Glibc

/// Starts and reaps child processes with posix_spawn/waitpid directly: Foundation's Process can
/// miss a child's exit when many threads are busy, which hangs a test forever.
public struct Subprocess {
    public let pid: pid_t

    /// Starts `arguments[0]` (a path) with the given arguments and extra environment variables.
    public static func spawn(_ arguments: [String], environment: [String: String] = [:], quiet: Bool = true,
                             stdoutPath: String? = nil) throws -> Subprocess {
        var merged: [String: String] = [:]
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { merged[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            index += 1
        }
        merged.merge(environment) { $1 }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdoutPath {
            posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else if quiet {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        guard status == 0 else { throw HTTPClientError(description: "cannot start \(arguments[0]): \(status)") }
        return Subprocess(pid: pid)
    }

    /// Runs to completion; returns the exit status.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Int32 {
        try spawn(arguments, environment: environment).wait()
    }

    /// Runs to completion and returns its exit status and standard output.
    public static func output(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let path = "/tmp/huiyin-test-\(getpid())-\(UInt32.random(in: 0 ... .max)).out"
        defer { unlink(path) }
        let status = try spawn(arguments, environment: environment, stdoutPath: path).wait()
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return (status, text)
    }

    public func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for exit; the exit code, or 128 + signal.
    @discardableResult
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

import Foundation

/// `OUT/summary.json`: what ran, how fast, on what, and every finding.
enum SummaryFile {
    static func write(_ tally: Tally, settings: Supervisor.Settings, seed: UInt64, corpus: Corpus, to folder: URL) throws {
        var byKind: [String: Int] = [:]
        for kind in Finding.Kind.allCases { byKind[kind.rawValue] = tally.count(kind) }
        let findings: [[String: Any]] = tally.findings.map {
            ["kind": $0.kind.rawValue, "index": $0.index, "folder": $0.folder, "message": $0.message]
        }
        let summary: [String: Any] = [
            "count": tally.done, "requested": settings.count, "start": settings.start, "seed": seed,
            "seconds": (tally.seconds * 10).rounded() / 10, "inputsPerSecond": (tally.rate * 100).rounded() / 100,
            "jobs": settings.jobs, "interrupted": tally.interrupted, "skippedKnown": tally.known, "findingsByKind": byKind, "findings": findings,
            "cpu": cpuModel, "build": buildConfiguration,
            "inputTimes": [
                "under100ms": tally.timeBands[0], "under1s": tally.timeBands[1], "under5s": tally.timeBands[2],
                "longer": tally.timeBands[3], "totalSeconds": tally.inputMilliseconds / 1000,
                "slowest": tally.slowest.map { ["index": $0.index, "milliseconds": $0.milliseconds] },
            ],
            "limits": ["cellSeconds": settings.limits.cellSeconds, "inputSeconds": settings.limits.inputSeconds,
                       "memoryBytes": settings.limits.memoryBytes, "hangSeconds": settings.limits.hangSeconds],
            "corpus": ["root": corpus.root ?? "", "cells": corpus.cells.count, "notebooks": corpus.notebooks.map(\.name)],
        ]
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: folder.appendingPathComponent("summary.json"))
    }

    /// The first `model name` of /proc/cpuinfo, and the core count.
    static var cpuModel: String {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = text.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return "\(model) (\(ProcessInfo.processInfo.activeProcessorCount) cores)"
    }

    static var buildConfiguration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }
}

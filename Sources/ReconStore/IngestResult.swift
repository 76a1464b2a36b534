public import Foundation
public import PikouCore

/// The result of ingesting a return file.
public enum IngestResult: Sendable, Hashable {
    /// The same bytes were ingested before; nothing changed.
    case alreadyIngested(returnFileID: Int64, at: Date)
    case posted(PostingSummary)
}

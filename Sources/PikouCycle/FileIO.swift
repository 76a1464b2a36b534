import Foundation

/// Crash-safe file writing.
public enum FileIO {
    /// A file that could not be written.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Writes `bytes` to `path` safely: a temporary file in the same folder, fsync, rename over the
    /// target, fsync of the folder. A crash leaves either the old file or the new one, never a part.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(WriteError) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + "." + name + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw WriteError(description: "\(path): cannot create (\(String(cString: strerror(errno))))") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw WriteError(description: "\(path): cannot write (\(reason))")
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporary)
            throw WriteError(description: "\(path): cannot sync (\(reason))")
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(description: "\(path): cannot rename into place (\(reason))")
        }
        let directory = open(folder.isEmpty ? "." : folder, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Removes temporary files a crash left in `folder`.
    public static func removeLeftovers(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }
}

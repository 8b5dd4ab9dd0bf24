#pragma once
// What systemd puts in $JOURNAL_STREAM for a process whose stderr is the
// journal, made for an ordinary file so tests can play the journal.

#include <string>

namespace psd::testing {

/// "DEVICE:INODE" of the file at `path`, as $JOURNAL_STREAM names a stream;
/// throws std::runtime_error (naming the file) when it cannot be stat()ed.
std::string journal_stream_of(const std::string& path);

}  // namespace psd::testing

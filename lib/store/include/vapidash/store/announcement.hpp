#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vapidash/store/store.hpp"

namespace vapidash {

// A committed change as text, for servers that share a database to tell each other (PostgreSQL NOTIFY):
// everything a ChangeSink needs, so a listener tells its dashboards exactly what the writer's would hear.
std::string announce_call_change(const CallUpdateOutcome& outcome, const std::string& cause);
std::string announce_event(const StatusEvent& event);
// Stands for an announcement stored elsewhere (too large to travel itself), by its id.
std::string announce_reference(std::int64_t id);

// What an announcement's text stands for: told to `sink`, or, for a reference, its id to be read back.
// Throws store_error for text that is not an announcement.
std::optional<std::int64_t> tell_announcement(const std::string& text, ChangeSink& sink);

}  // namespace vapidash

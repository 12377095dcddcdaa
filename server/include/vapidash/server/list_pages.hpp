#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "vapidash/server/http_types.hpp"
#include "vapidash/store/store.hpp"
#include "vapidash/wire/call_json.hpp"

namespace vapidash::server {

// Rows per chunk of a streamed list: a chunk is one page read from the store, so this bounds what a request
// holds in memory whatever the list's length.
inline constexpr std::int64_t calls_per_page = 500;
inline constexpr std::int64_t events_per_page = 100;  // timeline payloads are up to a few KB each

// One page of a list; `last` when no row follows. A page that is not the last has rows.
template <class Row>
struct Page {
  std::vector<Row> rows;
  bool last = false;
};

// Reads the page after the one it read before.
template <class Row>
using PageReader = std::function<Page<Row>()>;

// GET /api/{client_id}/calls a page at a time, newest first, at most query.limit rows in all. Each page
// starts below the previous page's last row (its created_at and id), so calls stored meanwhile are never sent
// twice nor make the list skip one.
PageReader<Call> call_pages(Store& store, CallQuery query);

// A timeline a page at a time, oldest first: each page starts after the previous page's last event.
PageReader<StatusEvent> event_pages(Store& store, EventQuery query);

// A row of a list as dump_json writes it; a calls list's rows, up to a million, without building JSON values.
inline void append_row(std::string& out, const Call& call) {
  append_list_row(out, call);
}

template <class Row>
void append_row(std::string& out, const Row& row) {
  out += dump_json(json(row));
}

// A JSON array read a page at a time, one chunk per page: the bytes are exactly dump_json's of the whole
// array ("[" rows joined by "," "]", "[]" when empty).
template <class Row>
BodySource json_array_body(PageReader<Row> next_page) {
  return [next_page = std::move(next_page), opened = false, closed = false](std::string& chunk) mutable {
    chunk.clear();
    if (closed) return;
    const auto page = next_page();
    for (const auto& row : page.rows) {
      chunk += std::exchange(opened, true) ? ',' : '[';
      append_row(chunk, row);
    }
    if (page.last) {
      if (!std::exchange(opened, true)) chunk += '[';
      chunk += ']';
      closed = true;
    }
  };
}

}  // namespace vapidash::server

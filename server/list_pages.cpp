#include "vapidash/server/list_pages.hpp"

#include <algorithm>

namespace vapidash::server {

namespace {

class CallPager {
 public:
  CallPager(Store& store, CallQuery query) : store_(store), query_(std::move(query)), left_(query_.limit) {}

  Page<Call> operator()() {
    const auto wanted = left_ ? std::min(calls_per_page, *left_) : calls_per_page;
    query_.limit = wanted;
    Page<Call> page{store_.list_calls(query_), false};
    const auto read = static_cast<std::int64_t>(page.rows.size());
    if (left_) *left_ -= read;
    page.last = read < wanted || left_ == 0;
    if (read > 0) {
      query_.before = page.rows.back().created_at;
      query_.before_id = page.rows.back().id;
    }
    return page;
  }

 private:
  Store& store_;
  CallQuery query_;
  std::optional<std::int64_t> left_;  // rows the request's limit still allows; nullopt: no limit
};

class EventPager {
 public:
  EventPager(Store& store, EventQuery query) : store_(store), query_(std::move(query)) {
    query_.limit = events_per_page;
  }

  Page<StatusEvent> operator()() {
    Page<StatusEvent> page{store_.list_events(query_), false};
    page.last = static_cast<std::int64_t>(page.rows.size()) < events_per_page;
    if (!page.rows.empty()) query_.after_id = page.rows.back().id;
    return page;
  }

 private:
  Store& store_;
  EventQuery query_;
};

}  // namespace

PageReader<Call> call_pages(Store& store, CallQuery query) {
  return CallPager(store, std::move(query));
}

PageReader<StatusEvent> event_pages(Store& store, EventQuery query) {
  return EventPager(store, std::move(query));
}

}  // namespace vapidash::server

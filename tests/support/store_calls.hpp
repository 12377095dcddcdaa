#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <variant>

#include "vapidash/store/store.hpp"
#include "vapidash/wire/json.hpp"

namespace vapidash::test {

// Generous: a write that has not completed by then is a hang, not a slow disk.
inline constexpr auto write_timeout = std::chrono::seconds(30);

inline const std::regex timestamp_format(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})");

// A write's callback and the future it fulfils.
template <class T>
struct Pending {
  std::shared_ptr<std::promise<WriteResult<T>>> promise = std::make_shared<std::promise<WriteResult<T>>>();
  std::future<WriteResult<T>> future = promise->get_future();

  WriteCallback<T> callback() const {
    return [promise = promise](WriteResult<T> result) { promise->set_value(std::move(result)); };
  }
};

// The write's result, or nullopt after recording why there is none (timeout or WriteFailure).
template <class T>
std::optional<T> await(std::future<WriteResult<T>>& future) {
  if (future.wait_for(write_timeout) != std::future_status::ready) {
    ADD_FAILURE() << "the write did not complete within " << write_timeout.count() << " s";
    return std::nullopt;
  }
  auto result = future.get();
  if (const auto* failure = std::get_if<WriteFailure>(&result)) {
    ADD_FAILURE() << "the write failed: " << failure->message;
    return std::nullopt;
  }
  return std::get<T>(std::move(result));
}

inline CallUpdate update_of(std::string client_id, std::string call_id,
                            std::optional<std::string> status = std::nullopt,
                            std::optional<std::string> phone_number = std::nullopt,
                            json payload = json::object()) {
  CallUpdate update;
  update.client_id = std::move(client_id);
  update.call_id = std::move(call_id);
  update.status = std::move(status);
  update.phone_number = std::move(phone_number);
  update.event_payload = std::move(payload);
  return update;
}

inline CallQuery query_of(std::string client_id, std::optional<std::int64_t> limit = std::nullopt,
                          std::optional<std::string> status = std::nullopt,
                          std::optional<std::string> before = std::nullopt) {
  CallQuery query;
  query.client_id = std::move(client_id);
  query.limit = limit;
  query.status = std::move(status);
  query.before = std::move(before);
  return query;
}

// Closes the store when a test leaves early, so no callback outlives the locals it refers to.
class CloseOnExit {
 public:
  explicit CloseOnExit(Store& store) : store_(store) {}
  ~CloseOnExit() { store_.close(); }
  CloseOnExit(const CloseOnExit&) = delete;
  CloseOnExit& operator=(const CloseOnExit&) = delete;

 private:
  Store& store_;
};

}  // namespace vapidash::test

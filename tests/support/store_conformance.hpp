#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/store_calls.hpp"
#include "support/store_engines.hpp"

namespace vapidash::test {

// The store conformance suite's fixture (tests/store/store_conformance_test.cpp): a fresh database of the
// engine the suite is instantiated with, and a store open on it.
// Writes that wait for their result, and reads by id, on `store_`: what every store test does.
template <class Base>
class StoreCalls : public Base {
 protected:
  std::optional<CallUpdateOutcome> apply_now(CallUpdate update) {
    Pending<CallUpdateOutcome> pending;
    store_->apply(std::move(update), pending.callback());
    return await(pending.future);
  }

  std::optional<StatusEvent> log_entry_now(std::string client_id, std::string call_id, std::string status,
                                           json payload = json::object()) {
    Pending<StatusEvent> pending;
    store_->log_event(
        EventRecord{std::move(client_id), std::move(call_id), std::move(status), std::move(payload)},
        pending.callback());
    return await(pending.future);
  }
  std::optional<std::int64_t> log_now(std::string client_id, std::string call_id, std::string status,
                                      json payload = json::object()) {
    const auto entry =
        log_entry_now(std::move(client_id), std::move(call_id), std::move(status), std::move(payload));
    return entry ? std::optional(entry->id) : std::nullopt;
  }

  std::vector<std::string> ids(const CallQuery& query) {
    std::vector<std::string> out;
    for (const auto& call : store_->list_calls(query)) out.push_back(call.id);
    return out;
  }

  std::unique_ptr<Store> store_;
};

class StoreConformance : public StoreCalls<::testing::TestWithParam<StoreEngine>> {
 protected:
  StoreConformance() { store_ = open_store(); }
  std::unique_ptr<Store> open_store(StoreObserver observer = {}) {
    return database_->open(std::move(observer));
  }

  std::unique_ptr<TestDatabase> database_ = GetParam().create();
};

}  // namespace vapidash::test

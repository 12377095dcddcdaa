// libFuzzer target: the webhook body parser must answer every input with a VapiMessage or invalid_input,
// never another exception, a crash or undefined behaviour (the build adds ASan and UBSan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vapidash/error.hpp"
#include "vapidash/vapi/vapi_message.hpp"
#include "vapidash/wire/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    const auto message = vapidash::parse_vapi_message("fuzz", body, vapidash::PayloadForm::compact);
    // What the handler does next with a recorded message: serialise its payload for the store.
    if (message.update) (void)vapidash::dump_json(message.update->event_payload);
  } catch (const vapidash::invalid_input&) {
  }
  return 0;
}

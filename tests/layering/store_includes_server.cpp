// Must not compile: lib/ knows nothing of the server.
#include "vapidash/server/broadcast_hub.hpp"

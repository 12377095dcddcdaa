// Must not compile: server/ never uses the client layer (see lib/CMakeLists.txt).
#include "vapidash/client/http_client.hpp"

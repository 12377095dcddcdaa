// lib/load drives any server over the wire, like a real VAPI and real dashboards: it never reaches into the
// server.
#include "vapidash/server/broadcast_hub.hpp"

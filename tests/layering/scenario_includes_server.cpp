// lib/scenario runs scenarios against any server over the wire: it never reaches into the server.
#include "vapidash/server/broadcast_hub.hpp"

// Must not compile: the client talks to a server over the wire, never to its store.
#include "vapidash/store/store.hpp"

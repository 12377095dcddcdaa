// Must not compile: the model is the bottom layer and sees no store.
#include "vapidash/store/store.hpp"

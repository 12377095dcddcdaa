// Asio (with its TLS layer) and Beast are built once here (BOOST_*_SEPARATE_COMPILATION) instead of in every
// translation unit.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>

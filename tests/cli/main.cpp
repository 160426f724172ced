#define BOOST_TEST_MODULE slope_cli
#include <boost/test/unit_test.hpp>

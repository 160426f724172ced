#define BOOST_TEST_MODULE slope_optim
#include <boost/test/unit_test.hpp>

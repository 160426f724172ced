#define BOOST_TEST_MODULE slope_autodiff
#include <boost/test/unit_test.hpp>

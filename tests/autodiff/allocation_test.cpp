#define BOOST_TEST_MODULE slope_autodiff_allocation
#include <boost/test/unit_test.hpp>

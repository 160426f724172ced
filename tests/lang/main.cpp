#define BOOST_TEST_MODULE slope_lang
#include <boost/test/unit_test.hpp>

# Configures the project in SUBDIRECTORY_DIR, which adds Slope's sources (SOURCE_DIR) with
# add_subdirectory; the checks are in that project's CMakeLists.txt. Configure only: fast.
foreach(var SOURCE_DIR WORK_DIR SUBDIRECTORY_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SUBDIRECTORY_DIR}" -B "${WORK_DIR}" -DSLOPE_SOURCE_DIR=${SOURCE_DIR}
                        -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "add_subdirectory(slope) failed:\n${out}\n${err}")
endif()
message(STATUS "a project that adds Slope with add_subdirectory configured")

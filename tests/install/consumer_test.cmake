# Installs the built tree into a fresh prefix, builds examples/cpp against it with
# find_package(kontingent CONFIG) and runs it on worked example A.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
  RESULT_VARIABLE code OUTPUT_QUIET)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/cpp -B ${WORK_DIR}/build -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/leakage ${SOURCE_DIR}/tests/data/spec-examples/a-fixed.book.json
  OUTPUT_VARIABLE out RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out STREQUAL "acme-site: unbilled 668.75 EUR (1 extra rounds)\n")
  message(FATAL_ERROR "consumer printed '${out}' (exit ${code})")
endif()
foreach(installed bin/kontingent include/kontingent/kontingent.hpp include/kontingent/version.hpp)
  if(NOT EXISTS ${WORK_DIR}/prefix/${installed})
    message(FATAL_ERROR "${installed} was not installed")
  endif()
endforeach()

# Runs `kontingent report BOOK --format json` and compares its output byte for byte with EXPECTED.
execute_process(COMMAND ${CLI} report ${BOOK} --format json
  OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "kontingent exited ${code}: ${errors}")
endif()
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/actual.json "${actual}")
  message(FATAL_ERROR "report differs from ${EXPECTED}; got:\n${actual}")
endif()

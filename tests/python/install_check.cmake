# ctest python.install: `cmake --install --component python` into a scratch prefix, then a fresh
# /usr/bin/python3 outside the source and build trees imports the installed package and evaluates.
# -DBUILD_DIR= -DPREFIX= -DPYTHON= -DPACKAGE_DIR= (relative to PREFIX) -DBOOK=
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} --component python
  RESULT_VARIABLE failed OUTPUT_QUIET)
if(failed)
  message(FATAL_ERROR "cmake --install failed")
endif()
set(ENV{PYTHONPATH} ${PREFIX}/${PACKAGE_DIR})
execute_process(COMMAND ${PYTHON} -c
  "import kontingent, sys; assert kontingent.__file__.startswith(sys.argv[1]), kontingent.__file__; print(kontingent.load(sys.argv[2]).evaluate())"
  ${PREFIX} ${BOOK}
  WORKING_DIRECTORY ${PREFIX} RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(failed)
  message(FATAL_ERROR "the installed package does not import: ${err}")
endif()
message(STATUS "installed package: ${out}")

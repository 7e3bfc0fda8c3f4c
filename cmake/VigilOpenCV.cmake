# vigil_opencv(MODULE... [REQUIRED]): imported targets opencv_<module> (the names OpenCV's own CMake
# package uses) for the OpenCV modules Vigil links, found by library and header. Not through
# OpenCVConfig.cmake: Debian ships that file in libopencv-dev, which installs every OpenCV module
# and what they need (contrib, VTK, Qt, GDAL: about 330 MB on a fresh machine, docs/house.md),
# while each module used here comes with its own libopencv-<module>-dev. Sets
# VIGIL_OPENCV_<module>_FOUND; with REQUIRED a missing module is an error naming its package.
function(vigil_opencv)
  cmake_parse_arguments(ARG "REQUIRED" "" "" ${ARGN})
  find_path(VIGIL_OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
  # cvconfig.h, which core's headers include, sits in the multiarch folder on Debian.
  find_path(VIGIL_OPENCV_CONFIG_INCLUDE_DIR opencv2/cvconfig.h
            PATH_SUFFIXES ${CMAKE_LIBRARY_ARCHITECTURE}/opencv4 opencv4)
  foreach(module ${ARG_UNPARSED_ARGUMENTS})
    if(NOT TARGET opencv_${module})
      find_library(VIGIL_OPENCV_${module}_LIBRARY opencv_${module})
      find_path(VIGIL_OPENCV_${module}_HEADER_DIR opencv2/${module}.hpp PATH_SUFFIXES opencv4)
      if(NOT VIGIL_OPENCV_${module}_LIBRARY OR NOT VIGIL_OPENCV_${module}_HEADER_DIR
         OR NOT VIGIL_OPENCV_CONFIG_INCLUDE_DIR)
        if(ARG_REQUIRED)
          message(FATAL_ERROR "OpenCV's ${module} module is missing: install libopencv-${module}-dev "
                              "(./setup.sh does)")
        endif()
        set(VIGIL_OPENCV_${module}_FOUND FALSE PARENT_SCOPE)
        continue()
      endif()
      add_library(opencv_${module} SHARED IMPORTED GLOBAL)
      set_target_properties(opencv_${module} PROPERTIES
        IMPORTED_LOCATION ${VIGIL_OPENCV_${module}_LIBRARY}
        INTERFACE_INCLUDE_DIRECTORIES "${VIGIL_OPENCV_INCLUDE_DIR};${VIGIL_OPENCV_CONFIG_INCLUDE_DIR}")
    endif()
    set(VIGIL_OPENCV_${module}_FOUND TRUE PARENT_SCOPE)
  endforeach()
endfunction()

# embed.cmake - turns shader files into C string constants at build time.
# cmake -DOUT=file.c -DINPUTS="a.vert;b.frag" -P embed.cmake
# Each input "lit.vert" becomes `const char mh_shader_lit_vert[]`.
set(code "/* Generated from shaders/ by shaders/embed.cmake: do not edit. */\n")
foreach(path IN LISTS INPUTS)
  get_filename_component(name "${path}" NAME)
  string(REPLACE "." "_" sym "${name}")
  file(READ "${path}" text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
  string(APPEND code "const char mh_shader_${sym}[] =\n    \"${text}\";\n")
endforeach()
file(WRITE "${OUT}.tmp" "${code}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")

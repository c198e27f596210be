# embed_web.cmake - turns the control page's files into C strings at build time.
# cmake -DOUT=file.c -DINPUTS="index.html;app.js;style.css" -P embed_web.cmake
# Each input "app.js" becomes `const char mh_web_app_js[]`.
set(code "/* Generated from platform/http/web/ by platform/http/embed_web.cmake: do not edit. */\n")
foreach(path IN LISTS INPUTS)
  get_filename_component(name "${path}" NAME)
  string(REPLACE "." "_" sym "${name}")
  file(READ "${path}" text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "?" "\\?" text "${text}")
  string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
  string(APPEND code "const char mh_web_${sym}[] =\n    \"${text}\";\n")
endforeach()
file(WRITE "${OUT}.tmp" "${code}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")

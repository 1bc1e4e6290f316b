"""Medical: the examination form, a detainee's medical section, the medical lists."""

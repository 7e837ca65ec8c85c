/* The least libregf does before it can confirm anything about a service (bench.py, row "libregf
   alone").

   `libregf_floor HIVE` opens the hive from memory as hivelint does (a libbfio memory range over a
   read-only mapping), reads Select\Current and opens ControlSetNNN\Services of that set: libregf's
   open builds its list of every hive bin, and reading a key's subkey list checks each subkey's
   offset against that list. Every check of hivelint's default reader has libregf confirm what the
   verdict rests on (docs/usage.md), so nothing hivelint does can take less than this on the same
   hive. Prints the number of services; exit 0, or 1 naming the step that failed. */
#include <fcntl.h>
#include <libbfio.h>
#include <libregf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char* step) {
  fprintf(stderr, "libregf_floor: %s\n", step);
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 2) return fail("usage: libregf_floor HIVE");
  const int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) return fail("cannot open the hive");
  void* bytes = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (bytes == MAP_FAILED) return fail("cannot map the hive");

  libbfio_handle_t* io = NULL;
  libregf_file_t* file = NULL;
  if (libbfio_memory_range_initialize(&io, NULL) != 1 ||
      libbfio_memory_range_set(io, bytes, (size_t)st.st_size, NULL) != 1)
    return fail("libbfio memory range");
  if (libregf_file_initialize(&file, NULL) != 1 ||
      libregf_file_open_file_io_handle(file, io, LIBREGF_OPEN_READ, NULL) != 1)
    return fail("libregf refuses the hive");

  libregf_key_t* select = NULL;
  libregf_value_t* current = NULL;
  uint32_t number = 0;
  if (libregf_file_get_key_by_utf8_path(file, (const uint8_t*)"Select", 6, &select, NULL) != 1 ||
      libregf_key_get_value_by_utf8_name(select, (const uint8_t*)"Current", 7, &current, NULL) !=
          1 ||
      libregf_value_get_value_32bit(current, &number, NULL) != 1 || number == 0 || number > 999)
    return fail("no Select\\Current");

  char path[64];
  snprintf(path, sizeof path, "ControlSet%03u\\Services", (unsigned)number);
  libregf_key_t* services = NULL;
  int count = 0;
  if (libregf_file_get_key_by_utf8_path(file, (const uint8_t*)path, strlen(path), &services,
                                        NULL) != 1 ||
      libregf_key_get_number_of_sub_keys(services, &count, NULL) != 1)
    return fail("no Services key in the current set");
  printf("%d\n", count);
  fflush(stdout);
  _exit(0); /* as hivelint leaves a big hive's readers to the end of the process */
}

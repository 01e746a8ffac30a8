/* A shared library that is not a probe plugin: no probe_plugin_init. */
const int probe_plugin_abi = 1;
int not_a_plugin(void);
int not_a_plugin(void) { return 0; }

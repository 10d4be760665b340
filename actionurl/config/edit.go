package config

// Edit changes the config file at path in place, as the resident does when
// it learns something worth keeping (an origin the person always allows,
// the phone's certificate): it loads the file as it is now, since the
// person may have edited it meanwhile, lets change edit it, and saves it
// only when change reports a change, so that a file with nothing to add
// keeps its bytes. It returns the config the file holds afterwards.
func Edit(path string, change func(*Config) bool) (Config, error) {
	cfg, err := Load(path)
	if err != nil {
		return Config{}, err
	}
	if !change(&cfg) {
		return cfg, nil
	}
	if err := Save(path, cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

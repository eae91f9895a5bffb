// A parse worker that cannot start (as when its module is missing from an installation).
throw new Error('this worker cannot load');

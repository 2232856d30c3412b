"""infohub: multilingual static sites for many offices from one repository."""

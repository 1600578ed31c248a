package main

// greeting is what the service answers. Edit it while gohot runs and reload the page.
func greeting() string {
	return "Hello from gohot!"
}

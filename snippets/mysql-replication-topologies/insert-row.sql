INSERT INTO demo.t (origin) VALUES (@@hostname);

import simpleRestProvider from 'ra-data-simple-rest';
import { httpClient } from './httpClient';

/** The stock ra-data-simple-rest client against /api. Domain actions extend it in later modules. */
export const dataProvider = simpleRestProvider('/api', httpClient);
